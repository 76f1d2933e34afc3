"""Looking at a batch's results: the static review page and the live review's session."""
