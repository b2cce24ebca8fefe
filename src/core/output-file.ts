/** A rendered output: renderers return these, the CLI writes them. */
export interface OutputFile {
  name: string;
  content: string | Uint8Array;
}
