"""The workbench's views, one module per page or concern; each is parse -> one call -> render."""
