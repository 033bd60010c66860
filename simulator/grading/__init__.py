"""sdsim.grading package."""
