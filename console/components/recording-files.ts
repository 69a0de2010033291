import React from 'react';
import { Box, Label, Link, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ViewHelpers, flat, useCurrentAdmin, useTranslation } from 'adminjs';
import type { RecordJSON } from 'adminjs';
import { formatDuration } from '../../appliance/domain/recordings-bot.ts';
import { formatBytes } from './format.ts';

const h = React.createElement;

interface ShownFile {
  id: string;
  kind: string;
  name: string;
  participantName: string | null;
  medium: string | null;
  sizeBytes: number;
  durationMs: number | null;
  codecs: string[];
}

/** A recording's files, with a download link each for admins: on its page and as its "download" action. */
export default function RecordingFiles(props: { record?: RecordJSON }) {
  const { translateComponent: tc, i18n } = useTranslation();
  const [admin] = useCurrentAdmin();
  const files = ((props.record && flat.get(props.record.params, 'files')) ?? []) as ShownFile[];
  const links = admin?.role === 'admin';
  const urls = new ViewHelpers();
  return h(
    Box,
    { mb: 'xl', 'data-testid': 'recording-files' },
    h(Label, null, tc('RecordingFiles.title')),
    files.length === 0
      ? h(Text, null, tc('RecordingFiles.none'))
      : h(
          Table,
          null,
          h(
            TableHead,
            null,
            h(TableRow, null, ...['kind', 'name', 'size', 'duration', 'codecs', ...(links ? ['download'] : [])].map((column) => h(TableCell, { key: column }, tc(`RecordingFiles.${column}`)))),
          ),
          h(
            TableBody,
            null,
            ...files.map((file) =>
              h(
                TableRow,
                { key: file.id },
                h(TableCell, null, [tc(`RecordingFiles.kinds.${file.kind}`), file.participantName, file.medium ? tc(`RecordingFiles.media.${file.medium}`) : null].filter(Boolean).join(' · ')),
                h(TableCell, null, file.name),
                h(TableCell, null, formatBytes(file.sizeBytes, i18n.language)),
                h(TableCell, null, file.durationMs === null ? '—' : formatDuration(file.durationMs)),
                h(TableCell, null, (file.codecs ?? []).join(', ')),
                links ? h(TableCell, null, h(Link, { href: urls.urlBuilder(['files', file.id, 'download']) }, tc('RecordingFiles.download'))) : null,
              ),
            ),
          ),
        ),
  );
}
