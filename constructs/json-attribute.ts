/**
 * A JSON document for a string attribute (container definitions, a dashboard body), written over
 * several lines. Why not one line: cdktf's HCL renderer leaves the quotes of a one-line string
 * unescaped when it holds a `${...}` reference, so `cdktf synth --hcl` would write invalid HCL;
 * a multi-line string is rendered as a heredoc, which parses. Terraform and the AWS provider
 * compare these attributes as JSON, so the layout changes nothing they see.
 */
export function jsonAttribute(value: unknown): string {
  return JSON.stringify(value, null, 1);
}
