// Property tests over every route.
// Jest loads a test file's modules afresh for each file, so topic files gathered here share one load.
import '../fuzz.e2e';
