// The tools and packaging around the relay, and Redis across replicas.
// Jest loads a test file's modules afresh for each file, so topic files gathered here share one load.
import '../demo.e2e';
import '../deploy.e2e';
import '../doctor.e2e';
import '../jwt.e2e';
import '../ops.e2e';
import '../ops-module-type.e2e';
import '../redis.e2e';
import '../redis-processes.e2e';
