// Refer, deliberate, device pivots, tiles, health, metrics and the API documentation.
// Jest loads a test file's modules afresh for each file, so topic files gathered here share one load.
import '../refer.e2e';
import '../deliberate.e2e';
import '../device-pivots.e2e';
import '../tiles.e2e';
import '../health.e2e';
import '../metrics.e2e';
import '../service.e2e';
import '../swagger-examples.e2e';
import '../swagger-ui.e2e';
