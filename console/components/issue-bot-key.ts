import React, { useState } from 'react';
import { Box, Button, FormGroup, FormMessage, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import type { ActionProps } from 'adminjs';

const h = React.createElement;
const api = new ApiClient();

interface Issued {
  key?: string;
  name?: string;
  record?: { errors?: Record<string, { message: string }> };
}

/**
 * Asks for the new key's name, issues the key with a POST and shows it this once: the appliance keeps
 * only its hash, so leaving the page loses it.
 */
export default function IssueBotKey(props: ActionProps) {
  const { action, resource } = props;
  const { translateComponent: tc, translateMessage: tm, translateProperty: tp } = useTranslation();
  const notice = useNotice();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<Issued>({});
  const submit = async () => {
    setBusy(true);
    try {
      const response = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: { name } });
      const data = response.data as Issued & { notice?: Parameters<typeof notice>[0] };
      if (data.notice) notice(data.notice);
      setIssued(data);
    } finally {
      setBusy(false);
    }
  };
  if (issued.key) {
    return h(
      Box,
      { variant: 'container', 'data-testid': 'issued-bot-key' },
      h(MessageBox, { mb: 'xl', variant: 'info', message: tc('IssueBotKey.shownOnce') }),
      h(Label, null, issued.name),
      h(Text, { fontFamily: 'monospace', style: { wordBreak: 'break-all', userSelect: 'all' } }, issued.key),
    );
  }
  const error = issued.record?.errors?.name;
  return h(
    Box,
    { variant: 'container', 'data-testid': 'issue-bot-key' },
    h(
      FormGroup,
      { error: Boolean(error) },
      h(Label, { required: true }, tp('name', resource.id)),
      h(Input, { value: name, onChange: (event: React.ChangeEvent<HTMLInputElement>) => setName(event.target.value) }),
      h(FormMessage, null, error ? tm(error.message, resource.id) : null),
    ),
    h(Button, { variant: 'contained', disabled: busy || name.trim() === '', onClick: submit }, tc('IssueBotKey.issue')),
  );
}
