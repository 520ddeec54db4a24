import { conformanceOn } from './conformance-run.js';

conformanceOn('avx2');
