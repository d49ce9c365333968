/** The guarantee a loan carries (融资担保): a tag linking to the project, for the loan's page (its lender, the guarantor, the borrower). */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { guPaths, type GuProject } from '../../lib/guarantee';
import { useRemote } from '../../lib/hooks';

export function LoanGuarantee({ loanId }: { loanId: string }) {
  const { t } = useTranslation();
  const { data } = useRemote<GuProject[]>(guPaths.projects(undefined, undefined, loanId));
  return (
    <>
      {(data ?? []).map((p) => (
        <Link key={p.id} to={`/guarantee/projects/${p.id}`} data-testid="loan-guarantee">
          <Tag color={p.status === 'in_force' ? 'green' : 'default'}>
            {t('gu.loanGuaranteed', { guarantor: p.guarantorName ?? '', status: t(`gu.status.${p.status}`) })}
          </Tag>
        </Link>
      ))}
    </>
  );
}
