/** [DOC] An operate record is P (processing) until it settles as S (success) or F (failed). */
import { defineMachine } from '../../../core/state-machine.js';

export const OPERATE_RECORD_MACHINE = defineMachine({
  name: 'operate record',
  states: ['P', 'S', 'F'],
  events: ['SUCCEED', 'FAIL'],
  table: {
    P: { SUCCEED: 'S', FAIL: 'F' },
    S: {},
    F: {},
  },
});

export type OperateStatus = (typeof OPERATE_RECORD_MACHINE.states)[number];
