// Respond: what is offered, and what triggers do to Defender.
// Jest loads a test file's modules afresh for each file, so topic files gathered here share one load.
import '../respond-alerts.e2e';
import '../respond-config.e2e';
import '../respond-device.e2e';
import '../respond-errors.e2e';
import '../respond-indicators.e2e';
import '../respond-listing-cache.e2e';
import '../respond-machine.e2e';
import '../trigger-binding.e2e';
import '../permissions.e2e';
