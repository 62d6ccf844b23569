"""Tools for people who write flows: `inspect` lists a page's switches with verified locators
and drafts a flow for them."""
