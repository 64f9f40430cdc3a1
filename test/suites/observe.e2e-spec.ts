// Observe: searches, planning, faults, prevalence and Defender's real answers.
// Jest loads a test file's modules afresh for each file, so topic files gathered here share one load.
import '../observe.e2e';
import '../observe-coalescing.e2e';
import '../observe-economy.e2e';
import '../observe-faults.e2e';
import '../observe-golden.e2e';
import '../observe-large.e2e';
import '../observe-new-types.e2e';
import '../observe-prevalence.e2e';
import '../observe-scale.e2e';
import '../unknown-lookups.e2e';
import '../real-payloads.e2e';
import '../hunting-api.e2e';
