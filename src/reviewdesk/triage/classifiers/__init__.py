"""One module per classifier; each is named in `triage.registry.CLASSIFIERS`."""
