package model

// kb is a kilobyte as the service counts it, for item sizes in tests.
const kb = 1024
