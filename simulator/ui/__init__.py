"""sdsim.ui package."""
