// Hover content at a position: the findings there (with their explanation and the profiles they
// hold under), then whatever the vocabulary hovers know about the token (features/hoverTopics).

import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import { rangeContains, type Position } from '../common/text';
import { topicHoverAt } from './hoverTopics';
import type { HoverFact } from './types';

export function hoverAt(analysis: DocumentAnalysis, text: string, position: Position): HoverFact | undefined {
  const here = analysis.findings.filter((f) => rangeContains(f.range, position));
  const topic = topicHoverAt(analysis, text, position);
  if (here.length === 0) return topic;
  const parts = here.map((f) => {
    const head = `**${f.rule}** (${f.severity}): ${f.message}`;
    return f.explanation ? `${head}\n\n${f.explanation}` : head;
  });
  if (topic) parts.push(topic.markdown);
  return { markdown: parts.join('\n\n---\n\n'), range: topic?.range ?? here[0]!.range };
}
