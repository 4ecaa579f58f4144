// Loads TypeScript for mocha in its own process. With `node-option: [import=tsx]` mocha would
// start a second node for the tests, and its launcher turns an interrupted run into exit 0
// (it re-sends the child's SIGINT to itself, where its own handler catches it); in one
// process an interrupt ends the run with 130, as it should.
import { register } from "tsx/esm/api";

register();
