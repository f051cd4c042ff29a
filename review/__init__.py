"""The review console: reviewers see each page beside what was read, correct it and decide."""
