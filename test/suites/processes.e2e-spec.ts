// The relay as a process: start-up, shutdown, logs and the outbound proxy.
// Jest loads a test file's modules afresh for each file, so topic files gathered here share one load.
import '../startup.e2e';
import '../shutdown.e2e';
import '../logging.e2e';
import '../outbound-proxy.e2e';
