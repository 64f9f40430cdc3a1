// Who may call, and what a caller cannot make the relay do.
// Jest loads a test file's modules afresh for each file, so topic files gathered here share one load.
import '../auth.e2e';
import '../early-refusal.e2e';
import '../failed-proofs.e2e';
import '../credential-isolation.e2e';
import '../path-segments.e2e';
import '../well-formed-text.e2e';
import '../upstream-text.e2e';
import '../payload.e2e';
import '../transport.e2e';
