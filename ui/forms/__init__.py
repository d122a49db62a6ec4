"""Record forms (QDialog): each calls one core service to save."""
