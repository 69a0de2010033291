import React, { useState } from 'react';
import { Box, Button, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient, ViewHelpers, useNotice, useTranslation } from 'adminjs';
import type { ActionProps } from 'adminjs';
import { useNavigate } from 'react-router';

const h = React.createElement;
const api = new ApiClient();
const urls = new ViewHelpers();

/**
 * Asks before a record action that changes something, then runs it with a POST (AdminJS would call an
 * action without a component with a GET, which a link from another site could trigger).
 */
export default function ConfirmAction(props: ActionProps) {
  const { action, resource, record } = props;
  const { translateMessage: tm, translateButton: tb } = useTranslation();
  const notice = useNotice();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  if (!record) return null;
  const run = async () => {
    setBusy(true);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: {} });
      if (response.data.notice) notice(response.data.notice);
      if (response.data.notice?.type !== 'error') navigate(urls.recordActionUrl({ resourceId: resource.id, recordId: record.id, actionName: 'show' }));
    } finally {
      setBusy(false);
    }
  };
  return h(
    Box,
    { variant: 'container', 'data-testid': `confirm-${action.name}` },
    h(MessageBox, { mb: 'xl', variant: 'info', message: tm(`${action.name}Confirm`, resource.id) }),
    h(Text, { mb: 'xl' }, record.title),
    h(Button, { variant: 'contained', disabled: busy, onClick: run }, tb('confirm', resource.id)),
  );
}
