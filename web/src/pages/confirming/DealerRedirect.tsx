/** /confirming/dealers/:id (a 待办 link to an admission or its agreements): the dealer's network page. */
import { Card } from 'antd';
import { Navigate, useParams } from 'react-router-dom';
import { csPaths } from '../../lib/confirming';
import { useRemote } from '../../lib/hooks';
import type { CsDealer } from '../../lib/types';

export function DealerRedirect() {
  const { id = '' } = useParams();
  const { data, error } = useRemote<CsDealer>(csPaths.dealer(id));
  if (data) return <Navigate to={`/confirming/networks/${data.networkId}`} replace />;
  if (error) return <Navigate to="/confirming/networks" replace />;
  return <Card loading />;
}
