/** This version of snapaudit, as results and `snapaudit --version` name it. */
export const TOOL_VERSION = '0.1.0';
