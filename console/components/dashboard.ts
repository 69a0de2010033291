import React, { useEffect, useState } from 'react';
import { Badge, Box, H2, H3, H5, Loader, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useTranslation } from 'adminjs';
import type { DashboardData } from '../dashboard/dashboard-data.ts';
import { formatBytes, formatDateTime } from './format.ts';

const h = React.createElement;
const api = new ApiClient();
const REFRESH_MS = 10_000;

function Card(props: { label: string; value: string; note?: string; testId: string }) {
  return h(
    Box,
    { variant: 'card', flex: true, flexDirection: 'column', p: 'xl', mr: 'lg', mb: 'lg', width: ['100%', '47%', '30%'], 'data-testid': props.testId },
    h(Text, { color: 'grey60', fontSize: 'sm' }, props.label),
    h(H3, { mt: 'sm', mb: 'sm' }, props.value),
    props.note ? h(Text, { color: 'grey60', fontSize: 'sm' }, props.note) : null,
  );
}

function table(headers: string[], rows: React.ReactNode[][]) {
  return h(
    Table,
    { mb: 'xl' },
    h(TableHead, null, h(TableRow, null, ...headers.map((header) => h(TableCell, { key: header }, header)))),
    h(TableBody, null, ...rows.map((cells, index) => h(TableRow, { key: index }, ...cells.map((cell, column) => h(TableCell, { key: column }, cell))))),
  );
}

/** The appliance at a glance, refreshed every few seconds from the dashboard's JSON handler. */
export default function Dashboard() {
  const { translateComponent: tc, i18n } = useTranslation();
  const language = i18n.language;
  const [data, setData] = useState<DashboardData>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let stopped = false;
    const load = () =>
      api
        .getDashboard()
        .then((response) => {
          if (stopped) return;
          setData(response.data as DashboardData);
          setFailed(false);
        })
        .catch(() => !stopped && setFailed(true));
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  if (!data) return failed ? h(MessageBox, { m: 'xl', variant: 'danger', message: tc('Dashboard.unavailable') }) : h(Loader);
  const { disk } = data;
  const days = disk.daysLeft === null ? tc('Dashboard.noRecentRecordings') : new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(disk.daysLeft);
  const workers = data.sfuWorkers === null ? tc('Dashboard.notReported') : tc('Dashboard.workersUp', data.sfuWorkers);
  const status = (ok: boolean) => h(Badge, { variant: ok ? 'success' : 'danger' }, tc(ok ? 'Dashboard.ok' : 'Dashboard.down'));

  return h(
    Box,
    { p: 'xl', 'data-testid': 'dashboard' },
    failed ? h(MessageBox, { mb: 'lg', variant: 'danger', message: tc('Dashboard.unavailable') }) : null,
    h(H2, { mb: 'xl' }, tc('Dashboard.title')),
    h(
      Box,
      { flex: true, flexWrap: 'wrap' },
      h(Card, { testId: 'sfu', label: tc('Dashboard.sfuWorkers'), value: workers }),
      h(Card, { testId: 'conferences', label: tc('Dashboard.activeConferences'), value: String(data.activeConferences) }),
      h(Card, { testId: 'recordings', label: tc('Dashboard.liveRecordings'), value: String(data.liveRecordings), note: tc('Dashboard.processing', { count: data.processingRecordings }) }),
      h(Card, { testId: 'encoder', label: tc('Dashboard.encoder'), value: data.encoder ?? tc('Dashboard.notReported') }),
      h(Card, { testId: 'disk', label: tc('Dashboard.diskFree'), value: formatBytes(disk.freeBytes, language), note: tc('Dashboard.diskOf', { total: formatBytes(disk.totalBytes, language) }) }),
      h(Card, { testId: 'days-left', label: tc('Dashboard.daysLeft'), value: days, note: tc('Dashboard.lastWeek', { bytes: formatBytes(disk.recordedBytesLastWeek, language) }) }),
    ),
    h(H5, { mb: 'lg' }, tc('Dashboard.components')),
    table(
      [tc('Dashboard.component'), tc('Dashboard.state'), tc('Dashboard.details')],
      data.components.map((c) => [c.name, status(c.ok), JSON.stringify(c.details)]),
    ),
    h(H5, { mb: 'lg' }, tc('Dashboard.failedRecordings')),
    data.failedRecordings.length === 0
      ? h(Text, { mb: 'xl' }, tc('Dashboard.none'))
      : table(
          [tc('Dashboard.recording'), tc('Dashboard.startedAt'), tc('Dashboard.problem')],
          data.failedRecordings.map((r) => [r.title, formatDateTime(r.startedAt, language), r.problem ?? '']),
        ),
    h(H5, { mb: 'lg' }, tc('Dashboard.failureEntries')),
    data.failureEntries.length === 0
      ? h(Text, { mb: 'xl' }, tc('Dashboard.none'))
      : table(
          [tc('Dashboard.at'), tc('Dashboard.action'), tc('Dashboard.details')],
          data.failureEntries.map((e) => [formatDateTime(e.at, language), e.action, JSON.stringify(e.details)]),
        ),
  );
}
