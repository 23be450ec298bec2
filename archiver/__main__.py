"""`python -m archiver` runs the command line."""

from .cli import app

app(prog_name="archiver")
