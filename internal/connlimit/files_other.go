//go:build !unix

package connlimit

// fileLimit: no open-file limit this package can read (Windows counts
// handles per process in the millions), so the cap is max as given.
func fileLimit() (uint64, bool) { return 0, false }

// outOfFiles: no portable error to recognise; net/http's backoff still
// retries the accept.
func outOfFiles(error) bool { return false }
