"""The `jjis` command: a thin layer over the Python API (jjis/__init__.py)."""
