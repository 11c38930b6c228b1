"""pytest11 entry point: options, markers and fixtures of the conformance suite. Light imports only."""
