import { conformanceOn } from './conformance-run.js';

conformanceOn('scalar');
