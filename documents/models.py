"""Supporting documents families upload (issue 7)."""
