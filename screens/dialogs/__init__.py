"""Modal screens: the forms and questions that open over an area."""
