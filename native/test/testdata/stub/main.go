// Command stub stands in for the real binary in the native shim's tests. It
// prints its arguments and every INPUT_* variable to stdout, a line to
// stderr, and exits with STUB_EXIT. With STUB_MARKER it first creates that
// file, so a test can tell whether it ran at all. With STUB_WAIT=catch it
// prints "ready" and waits for SIGINT or SIGTERM, reports the signal and exits
// with 7; with STUB_WAIT=die it waits without handling them, so the signal
// ends it. Either wait ends after 10 s (exit code 9), so a test whose signal
// never comes fails instead of hanging. STUB_QUIET=1 prints nothing (for tests that run it in their own
// process).
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// waitLimit is how long STUB_WAIT waits for a signal.
const waitLimit = 10 * time.Second

func main() {
	if m := os.Getenv("STUB_MARKER"); m != "" {
		if err := os.WriteFile(m, []byte("ran\n"), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(99)
		}
	}
	switch os.Getenv("STUB_WAIT") {
	case "catch":
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt, syscall.SIGTERM)
		fmt.Println("ready")
		select {
		case s := <-c:
			fmt.Printf("stub got %v\n", s)
			os.Exit(7)
		case <-time.After(waitLimit):
			fmt.Println("stub got no signal")
			os.Exit(9)
		}
	case "die":
		fmt.Println("ready")
		time.Sleep(waitLimit)
		fmt.Println("stub got no signal")
		os.Exit(9)
	}
	code, _ := strconv.Atoi(os.Getenv("STUB_EXIT"))
	if os.Getenv("STUB_QUIET") == "1" {
		os.Exit(code)
	}
	fmt.Printf("args=%q\n", os.Args[1:])
	var inputs []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "INPUT_") {
			inputs = append(inputs, kv)
		}
	}
	sort.Strings(inputs)
	for _, kv := range inputs {
		fmt.Println(kv)
	}
	fmt.Fprintln(os.Stderr, "stub writes to stderr")
	os.Exit(code)
}
