"""sdsim.catalog package."""
