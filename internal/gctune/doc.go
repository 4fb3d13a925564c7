// Package gctune sets the garbage collector for the server process. Almost
// everything the server allocates is garbage within one request, attempt or
// flow run, so its live heap is small and the default GOGC=100 collects
// very often: at 2,000 flow runs/s a fifth of the CPU went to allocation and
// marking. A higher target trades memory that is cheap here for that CPU.
package gctune
