"""sdsim: a system-design interview simulator (offline by default, LLM-pluggable)."""

__version__ = "0.1.0"
