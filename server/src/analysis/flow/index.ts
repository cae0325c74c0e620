// The control-flow layer: a graph per code body and a forward dataflow solver over it.

export { buildControlFlow, MAX_FLOW_NODES, type ControlFlowOptions, type Termination } from './buildControlFlow';
export { codeBodies, type CodeBody } from './codeBodies';
export type { ErrorExpectation, FlowEdge, FlowEdgeKind, FlowGraph, FlowNode, FlowNodeKind } from './controlFlowGraph';
export { solveForward, type ForwardProblem } from './dataflow';
