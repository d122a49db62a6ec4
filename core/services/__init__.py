"""Services the window and the commands share: validation, then one transaction."""
