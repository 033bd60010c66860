"""sdsim.interview package."""
