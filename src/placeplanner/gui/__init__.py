"""The desktop app: a thin Qt layer that shows the core and sends it commands."""
