/** `switchboard top`'s parts (re-exports only): the frame renderer, the keys, the ANSI screen. */
export { renderTopFrame, compact, bytes, utilisationBar, shortBehaviour, kSortLabels, kKeyHelp, type TopFrame, type TopFrameInput } from './render.ts';
export { keyAction, type TopKeyAction } from './keys.ts';
export { TerminalScreen, type TtyIn, type TtyOut } from './terminal-screen.ts';
