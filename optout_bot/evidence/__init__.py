"""Evidence: the record of every run (`recorder`), the hash-chained store it goes into
(`store`), and the self-contained HTML report made from it (`report` and its templates)."""
