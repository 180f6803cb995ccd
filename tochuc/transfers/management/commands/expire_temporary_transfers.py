"""`tochuc expire_temporary_transfers`: record the return of every temporary transfer whose
period has ended (run daily, e.g. from cron). Lists of temporary members are right without
it (each temporary activity ends on its date); it writes the return into the timelines."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tochuc.lib.dates import parse_command_date, vn_date
from tochuc.transfers.services import temporary_transfers_expire


class Command(BaseCommand):
    help = "Ghi trở về cho các trường hợp sinh hoạt đảng tạm thời đã hết thời hạn."

    def add_arguments(self, parser):
        parser.add_argument("--ngay", help="Ngày xét (dd/mm/yyyy), mặc định hôm nay.")

    def handle(self, *args, **options):
        # The returns are written as acts: a day after today is refused.
        try:
            today = parse_command_date(
                options.get("ngay"), label="--ngay", latest=timezone.localdate()
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        today = today or timezone.localdate()
        returned = temporary_transfers_expire(today=today)
        for transfer in returned:
            self.stdout.write(
                f"{transfer.member.full_name}: {transfer.letter_no}, "
                f"trở về ngày {vn_date(transfer.returned_on)}"
            )
        self.stdout.write(self.style.SUCCESS(f"Đã ghi trở về: {len(returned)} trường hợp."))
