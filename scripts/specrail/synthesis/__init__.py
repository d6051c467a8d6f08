"""The mechanical steps of /workflow:synthesis, one module per concern (CLI in `specrail.cli.synthesis`)."""
