// Runs every contract test: node resources/contracts/test/run.mjs
// (node:test reports TAP and exits non-zero when a test fails.)
import './counter.test.mjs';
import './nft.test.mjs';
import './compute.test.mjs';
