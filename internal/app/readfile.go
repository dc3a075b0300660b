package app

import (
	"fmt"
	"io"
	"os"
)

// maxFileBytes bounds what a run reads of a file it is given by name (a
// manifest, an --env-file): far above any real one, it keeps a mistaken
// path such as /dev/zero or a pipe that never ends from reading forever.
const maxFileBytes = 16 << 20

// readFileBounded reads the file at path, as os.ReadFile does, and fails
// for a file of more than maxFileBytes without reading the rest.
func readFileBounded(path string) ([]byte, error) {
	return readBounded(path, maxFileBytes)
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s holds more than %d bytes, more than any file this action reads", path, limit)
	}
	return b, nil
}
