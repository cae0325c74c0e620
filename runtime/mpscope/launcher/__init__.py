"""The terminal launcher: ``python -m mpscope run`` (see ``cli``)."""
