// Load: bursts against Defender's limits and concurrency per app.
// Jest loads a test file's modules afresh for each file, so topic files gathered here share one load.
import '../resilience.e2e';
import '../concurrency-per-app.e2e';
