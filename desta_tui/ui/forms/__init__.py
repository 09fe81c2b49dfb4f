"""Shared form pieces: FormScreen, the field widgets and the field builders forms share."""
