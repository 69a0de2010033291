/**
 * Quotes a value for a gst-launch description: double quotes, with backslashes and double
 * quotes escaped, so names and SVG labels cannot break out of the property they set.
 */
export function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
