"""The Textual application: screens, widgets and styles. Only this package imports Textual."""
