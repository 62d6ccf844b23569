"""The engine: walks a validated flow in a browser session and says how it ended.

`runner.FlowRunner` drives the phases (login check, navigate, read, act, reload and re-read);
`steps` executes one step type each; `locators`, `switch`, `guard`, `netwatch`, `capture` and
`diagnose` are the tools it uses; `session` and `browsers` open the browser; `outcome` holds
the statuses and the result. The engine knows nothing of the command line or the settings file.
"""
