// Stack traces point into our TypeScript, at little cost to the start: the SDK and the other large
// libraries are loaded first, without their source maps (reading them all was 0.2-0.4 s of every start),
// then maps are turned on for the modules loaded after this one, ours. `npm start` runs without
// --enable-source-maps for that reason; with the flag (the tests' children), everything is mapped.
import 'botbuilder';
import 'restify';
import 'adaptivecards-templating';
import 'adaptive-expressions';

process.setSourceMapsEnabled(true);
